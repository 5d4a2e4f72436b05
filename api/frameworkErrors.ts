// Fastify's own refusals (a body that is not JSON, no or another content type, too large) turned into the
// catalogue's IOC_… errors with a message naming the problem, so a client never branches on FST_ codes.
import type { FastifyError, FastifyRequest } from 'fastify';
import {
  BadRequestError,
  BodyTooLargeError,
  EmptyBodyError,
  InvalidJsonError,
  UnsupportedMediaTypeError,
  type IocError,
} from '../core/errors.ts';

/** The IocError for a fastify client error (4xx with an FST_ code); null for anything else. */
export function fromFrameworkError(error: FastifyError, request: FastifyRequest): IocError | null {
  const status = error.statusCode ?? 500;
  if (status < 400 || status >= 500 || typeof error.code !== 'string' || !error.code.startsWith('FST_')) return null;
  if (error.validation) return null; // schema violations are named field by field by the error handler
  const contentType = request.headers['content-type'];
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      // fastify's message carries the parser's, e.g. "Unexpected token } in JSON at position 12".
      return new InvalidJsonError(
        `the request body is not valid JSON (${error.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'\s*/i, '') || 'parse error'})`,
        { field: 'body' },
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new EmptyBodyError(
        'the request body is empty but its content-type is application/json: send a JSON document',
        { field: 'body' },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(
        contentType
          ? `content-type ${contentType.split(';')[0]} is not accepted: send the body as application/json`
          : 'the request has a body but no content-type: send it as application/json',
        { field: 'content-type' },
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BodyTooLargeError('the request body is larger than this API accepts', { field: 'body' });
    default:
      return new BadRequestError(error.message, {});
  }
}
