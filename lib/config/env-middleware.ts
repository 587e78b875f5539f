/** A middy middleware that validates a function's environment once and puts it, typed, on the context. */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { readEnv } from './function-env.ts';

export type WithEnv<S extends z.ZodTypeAny> = Context & { env: z.infer<S> };

export function validEnv<S extends z.ZodTypeAny, E = unknown, R = unknown>(schema: S): MiddlewareObj<E, R, Error, WithEnv<S>> {
  let env: z.infer<S> | undefined;
  return {
    before: (request) => {
      env ??= readEnv(schema);
      request.context.env = env;
    },
  };
}
