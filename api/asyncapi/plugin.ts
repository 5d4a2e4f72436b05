// GET /asyncapi.json: the AsyncAPI document of the MQTT channel, public like /docs (it describes, it holds no data).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { asyncApiDocument, type AsyncApiOptions } from './document.ts';

export const asyncApiPlugin: FastifyPluginAsyncTypebox<AsyncApiOptions> = async (app, options) => {
  const document = asyncApiDocument(options);
  app.get(
    '/asyncapi.json',
    {
      config: { access: 'public' },
      schema: {
        summary: 'AsyncAPI 3.0 document of the MQTT event channel',
        tags: ['integration'],
        response: { 200: Type.Object({ asyncapi: Type.Literal('3.0.0') }, { additionalProperties: true }) },
      },
    },
    async () => document as { asyncapi: '3.0.0' },
  );
};
