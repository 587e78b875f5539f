// The peer side of the JSON Schema compatibility test: Apicurio's JSON Schema serializer and deserializer in Confluent
// mode (magic byte, 4-byte content id, no headers), validating every payload against the registered schema.
//   read  <apicurio-url> <topic>  reads hex lines on stdin, prints each payload as compact JSON (or "INVALID <message>")
//   write <apicurio-url> <topic>  reads JSON lines on stdin, prints each framed by the latest schema of <topic>-value as hex
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaDeserializer;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

public class JsonSchemaPeer {
  public static void main(String[] args) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("apicurio.registry.url", args[1]);
    config.put("apicurio.registry.as-confluent", "true");
    config.put("apicurio.registry.use-id", "contentId");
    config.put("apicurio.registry.headers.enabled", "false");
    config.put("apicurio.registry.find-latest", "true");
    config.put("apicurio.registry.auto-register", "false");
    config.put("apicurio.registry.serde.validation-enabled", "true");
    String topic = args[2];
    ObjectMapper mapper = new ObjectMapper();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (args[0].equals("write")) {
      JsonSchemaKafkaSerializer<JsonNode> serializer = new JsonSchemaKafkaSerializer<>();
      serializer.configure(config, false);
      for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
        System.out.println(HexFormat.of().formatHex(serializer.serialize(topic, mapper.readTree(line))));
      }
      return;
    }
    JsonSchemaKafkaDeserializer<Object> deserializer = new JsonSchemaKafkaDeserializer<>();
    deserializer.configure(config, false);
    for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
      try {
        Object value = deserializer.deserialize(topic, HexFormat.of().parseHex(line.trim()));
        System.out.println(mapper.writeValueAsString(value));
      } catch (RuntimeException e) {
        System.out.println("INVALID " + e.getMessage().replace('\n', ' '));
      }
    }
  }
}
