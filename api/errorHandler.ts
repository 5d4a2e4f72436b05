// Maps every failure to the one error body: typed IocErrors keep their code and status, schema
// violations become IOC_VALIDATION_FAILED naming the field, anything else is a logged 500 (a bug).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isIocError } from '../core/errors.ts';
import { fromFrameworkError } from './frameworkErrors.ts';

interface SchemaIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** The dotted name of the field a schema issue is about, prefixed by where it came from (body, query…). */
export function fieldOfIssue(issue: SchemaIssue, part: string | undefined): string {
  const path = (issue.instancePath ?? '').split('/').filter(Boolean);
  const params = issue.params ?? {};
  if (issue.keyword === 'required') {
    const missing =
      (params.missingProperty as string | undefined) ?? (params.requiredProperties as string[] | undefined)?.[0];
    if (missing) path.push(missing);
  }
  if (issue.keyword === 'additionalProperties') {
    const extra =
      (params.additionalProperty as string | undefined) ?? (params.additionalProperties as string[] | undefined)?.[0];
    if (extra) path.push(extra);
  }
  const field = path.join('.');
  return field || part || 'body';
}

function describeIssue(issue: SchemaIssue, field: string): string {
  switch (issue.keyword) {
    case 'required':
      return `${field} is required`;
    case 'additionalProperties':
      return `${field} is not a known field`;
    case 'pattern':
      return `${field} has an invalid format`;
    default:
      return `${field} ${issue.message ?? 'is invalid'}`;
  }
}

/** A PostgreSQL "data exception" (SQLSTATE class 22) raised by pg. */
function isDataException(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && typeof e.severity === 'string';
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((raised: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const error = (fromFrameworkError(raised, request) ?? raised) as FastifyError;
    if (isIocError(error)) {
      if (error.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      return reply.status(error.statusCode).send({
        error: {
          code: error.code,
          message: error.message,
          field: error.details.field,
          problems: error.details.problems,
        },
      });
    }
    if (error.validation) {
      // TypeBox reports the boolean sub-schema of additionalProperties too; the parent issue says it better.
      const issues = (error.validation as SchemaIssue[]).filter((i) => i.keyword !== 'boolean');
      const issue = issues[0] ?? (error.validation[0] as SchemaIssue);
      const field = fieldOfIssue(issue, error.validationContext);
      return reply.status(400).send({
        error: { code: 'IOC_VALIDATION_FAILED', message: describeIssue(issue, field), field },
      });
    }
    if (isDataException(error)) {
      // PostgreSQL refused a value the schema let through (a NUL character, a number out of its column's range):
      // the caller's input, not a bug, and nothing of the SQL or the value is echoed back.
      return reply.status(400).send({
        error: {
          code: 'IOC_VALIDATION_FAILED',
          message: 'a value could not be stored (invalid character or out of range)',
        },
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({
        error: { code: error.code ?? 'IOC_BAD_REQUEST', message: error.message },
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'IOC_INTERNAL', message: 'internal error' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'IOC_ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    }),
  );
}
