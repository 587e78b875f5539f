// The peer side of the Avro compatibility test: Apicurio's AvroConverter (Confluent wire format) driven through
// Connect's Converter API, exactly as a Connect worker drives it. Records mirror test/support/every-type-record.ts.
//   write <apicurio-url> <topic> <count>  prints one hex line of converted bytes per record
//   read  <apicurio-url> <topic>          reads hex lines on stdin, prints one JSON line of field values per record
import io.apicurio.registry.utils.converter.AvroConverter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.*;
import org.apache.kafka.connect.data.*;
import org.apache.kafka.connect.data.Date;

public class AvroPeer {
  static final Schema ADDRESS = SchemaBuilder.struct().name("com.example.Address").field("street", Schema.STRING_SCHEMA).field("zip", Schema.OPTIONAL_INT32_SCHEMA).build();
  static final Schema ADDRESS2 = SchemaBuilder.struct().name("com.example.Address2").field("line", Schema.STRING_SCHEMA).optional().build();
  static final Schema EVERY = SchemaBuilder.struct().name("com.example.EveryType").version(1).doc("every Connect type")
      .field("i8", Schema.INT8_SCHEMA).field("i16", Schema.INT16_SCHEMA).field("i32", Schema.INT32_SCHEMA).field("i64", Schema.INT64_SCHEMA)
      .field("f32", Schema.FLOAT32_SCHEMA).field("f64", Schema.FLOAT64_SCHEMA).field("flag", Schema.BOOLEAN_SCHEMA)
      .field("text", Schema.STRING_SCHEMA).field("blob", Schema.BYTES_SCHEMA).field("price", Decimal.schema(2))
      .field("day", Date.SCHEMA).field("clock", Time.SCHEMA).field("at", Timestamp.SCHEMA)
      .field("maybe_text", Schema.OPTIONAL_STRING_SCHEMA).field("maybe_long", Schema.OPTIONAL_INT64_SCHEMA)
      .field("with_default", SchemaBuilder.int32().defaultValue(42).build())
      .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
      .field("scores", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.FLOAT64_SCHEMA).build())
      .field("by_id", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
      .field("address", ADDRESS).field("maybe_address", ADDRESS2).build();

  static Struct record(int n) {
    boolean odd = n % 2 == 1;
    Map<String, Double> scores = new LinkedHashMap<>();
    scores.put("k" + n, n / 2.0);
    scores.put("z", 0.5);
    Map<Integer, String> byId = new LinkedHashMap<>();
    byId.put(n, "id" + n);
    byId.put(-1, "minus");
    return new Struct(EVERY)
        .put("i8", (byte) ((n % 256) - 128)).put("i16", (short) ((n % 65536) - 32768)).put("i32", n * 7919 - (1 << 30))
        .put("i64", n % 3 == 0 ? (1L << 62) + n : -(long) n * 1_000_003L)
        .put("f32", (float) (n / 8.0)).put("f64", n / 3.0).put("flag", !odd)
        .put("text", "text " + n + " \u00e9 \u2713")
        .put("blob", new byte[] {(byte) (n & 0xff), 0, (byte) 255, (byte) ((n >> 8) & 0xff)})
        .put("price", BigDecimal.valueOf(n * 101L - 5000L, 2))
        .put("day", new java.util.Date(1704067200000L + (n % 1000) * 86_400_000L))
        .put("clock", new java.util.Date((n * 1237L) % 86_400_000L))
        .put("at", new java.util.Date(1_700_000_000_000L + n * 1000L))
        .put("maybe_text", odd ? null : "maybe " + n).put("maybe_long", odd ? null : (long) n * 10)
        .put("with_default", n).put("tags", List.of("t" + n, "x")).put("scores", scores).put("by_id", byId)
        .put("address", new Struct(ADDRESS).put("street", n + " Main St").put("zip", odd ? null : 10_000 + n))
        .put("maybe_address", odd ? null : new Struct(ADDRESS2).put("line", "line " + n));
  }

  public static void main(String[] args) throws Exception {
    AvroConverter converter = new AvroConverter();
    Map<String, Object> config = new HashMap<>();
    config.put("apicurio.registry.url", args[1]);
    config.put("apicurio.registry.auto-register", "true");
    config.put("apicurio.registry.find-latest", "true");
    config.put("apicurio.registry.as-confluent", "true");
    config.put("apicurio.registry.use-id", "contentId");
    config.put("apicurio.registry.headers.enabled", "false");
    converter.configure(config, false);
    String topic = args[2];
    if (args[0].equals("write")) {
      int count = Integer.parseInt(args[3]);
      for (int n = 0; n < count; n++) System.out.println(HexFormat.of().formatHex(converter.fromConnectData(topic, EVERY, record(n))));
      return;
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
      SchemaAndValue sv = converter.toConnectData(topic, HexFormat.of().parseHex(line.trim()));
      System.out.println(json(sv.value()));
    }
  }

  /** Field values as JSON: longs as strings, bytes as hex, decimals as plain text, dates as epoch millis. */
  static String json(Object v) {
    if (v == null) return "null";
    if (v instanceof Struct s) {
      StringJoiner j = new StringJoiner(",", "{", "}");
      for (Field f : s.schema().fields()) j.add(quote(f.name()) + ":" + json(s.get(f)));
      return j.toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringJoiner j = new StringJoiner(",", "{", "}");
      new TreeMap<String, Object>(toStringKeys(m)).forEach((k, x) -> j.add(quote(k) + ":" + json(x)));
      return j.toString();
    }
    if (v instanceof List<?> l) {
      StringJoiner j = new StringJoiner(",", "[", "]");
      for (Object x : l) j.add(json(x));
      return j.toString();
    }
    if (v instanceof Long || v instanceof BigDecimal) return quote(v instanceof BigDecimal b ? b.toPlainString() : v.toString());
    if (v instanceof byte[] b) return quote(HexFormat.of().formatHex(b));
    if (v instanceof java.nio.ByteBuffer b) return quote(HexFormat.of().formatHex(Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit())));
    if (v instanceof java.util.Date d) return Long.toString(d.getTime());
    if (v instanceof String s) return quote(s);
    return v.toString();
  }

  static Map<String, Object> toStringKeys(Map<?, ?> m) {
    Map<String, Object> out = new HashMap<>();
    m.forEach((k, x) -> out.put(String.valueOf(k), x));
    return out;
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
