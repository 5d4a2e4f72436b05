// The one error catalogue: every failure a caller can act on has a stable code and an HTTP status.
// The API maps these to 4xx; anything else that escapes is a bug and becomes a 500.

export interface IocErrorDetails {
  /** The config key, body field or query parameter the error is about, when there is one. */
  field?: string;
  [key: string]: unknown;
}

export abstract class IocError extends Error {
  abstract readonly code: string;
  abstract readonly statusCode: number;
  readonly details: IocErrorDetails;

  constructor(message: string, details: IocErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

function defineError<C extends string>(code: C, statusCode: number) {
  return class extends IocError {
    readonly code = code;
    readonly statusCode = statusCode;
  };
}

export class ConfigInvalidError extends defineError('IOC_CONFIG_INVALID', 500) {}
export class ValidationError extends defineError('IOC_VALIDATION_FAILED', 400) {}
export class CameraNotFoundError extends defineError('IOC_CAMERA_NOT_FOUND', 404) {}
export class CameraNameTakenError extends defineError('IOC_CAMERA_NAME_TAKEN', 409) {}
export class MediaNotFoundError extends defineError('IOC_MEDIA_NOT_FOUND', 404) {}
export class ModelUnavailableError extends defineError('IOC_MODEL_UNAVAILABLE', 500) {}
export class ModelChecksumError extends defineError('IOC_MODEL_CHECKSUM_MISMATCH', 500) {}
export class FrameRejectedError extends defineError('IOC_FRAME_REJECTED', 422) {}
export class MigrationError extends defineError('IOC_MIGRATION_FAILED', 500) {}
export class DependencyUnavailableError extends defineError('IOC_DEPENDENCY_UNAVAILABLE', 503) {}
export class MediaToolUnavailableError extends defineError('IOC_MEDIA_TOOL_UNAVAILABLE', 500) {}
export class MediaServerError extends defineError('IOC_MEDIA_SERVER_FAILED', 500) {}
export class AuthRequiredError extends defineError('IOC_AUTH_REQUIRED', 401) {}
export class LoginFailedError extends defineError('IOC_LOGIN_FAILED', 401) {}
export class LoginLockedError extends defineError('IOC_LOGIN_LOCKED', 429) {}
export class ForbiddenError extends defineError('IOC_FORBIDDEN', 403) {}
/** The password was set by an admin or the config: its owner changes it before anything else opens. */
export class PasswordChangeRequiredError extends defineError('IOC_PASSWORD_CHANGE_REQUIRED', 403) {}
export class UserNotFoundError extends defineError('IOC_USER_NOT_FOUND', 404) {}
export class UserNameTakenError extends defineError('IOC_USER_NAME_TAKEN', 409) {}
export class ApiKeyNotFoundError extends defineError('IOC_API_KEY_NOT_FOUND', 404) {}
export class WebhookNotFoundError extends defineError('IOC_WEBHOOK_NOT_FOUND', 404) {}
export class WebhookNameTakenError extends defineError('IOC_WEBHOOK_NAME_TAKEN', 409) {}
export class AlertNotFoundError extends defineError('IOC_ALERT_NOT_FOUND', 404) {}
/** The alert's state does not allow this action (resolved and dismissed are final). */
export class AlertTransitionError extends defineError('IOC_ALERT_TRANSITION_INVALID', 409) {}
export class DistrictNotFoundError extends defineError('IOC_DISTRICT_NOT_FOUND', 404) {}
export class DistrictNameTakenError extends defineError('IOC_DISTRICT_NAME_TAKEN', 409) {}
/** What fastify refuses before a route runs (its FST_ERR_CTP_* codes), in the catalogue's words. */
export class InvalidJsonError extends defineError('IOC_INVALID_JSON', 400) {}
export class EmptyBodyError extends defineError('IOC_EMPTY_BODY', 400) {}
export class UnsupportedMediaTypeError extends defineError('IOC_UNSUPPORTED_MEDIA_TYPE', 415) {}
export class BodyTooLargeError extends defineError('IOC_BODY_TOO_LARGE', 413) {}
export class BadRequestError extends defineError('IOC_BAD_REQUEST', 400) {}
export class ReportNotFoundError extends defineError('IOC_REPORT_NOT_FOUND', 404) {}
export class ReportRenderError extends defineError('IOC_REPORT_RENDER_FAILED', 500) {}

export function isIocError(err: unknown): err is IocError {
  return err instanceof IocError;
}
