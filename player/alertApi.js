// The alerts REST API as the console calls it: the filtered list, one alert with its history, evidence
// URLs and the duty actions. A refusal becomes an AlertApiError carrying the server's code and message.

export class AlertApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(path, init = {}) {
  let response;
  try {
    response = await fetch(path, {
      ...init,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  } catch {
    throw new AlertApiError(0, 'IOC_NETWORK', 'network unreachable');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    // The standard error body is {error: {code, message}}; a bare {statusCode, code, message} is read too.
    const error = body?.error ?? body ?? {};
    throw new AlertApiError(
      response.status,
      error.code ?? `HTTP_${response.status}`,
      error.message ?? response.statusText,
    );
  }
  return body;
}

const alertPath = (id) => `/api/alerts/${encodeURIComponent(id)}`;

/** {items, total} for the filter's query (URLSearchParams). */
export function listAlerts(query) {
  return call(`/api/alerts?${query}`);
}

/** {items: per camera and rule, confirmed vs dismissed as a false alarm, and their precision}. */
export function fetchPrecision() {
  return call('/api/alerts/precision');
}

/** {alert, history: AlertHistoryEntry[], deliveries: AlertDeliveryState[]} (read from a flat Alert with both too). */
export async function fetchAlert(id) {
  const body = await call(alertPath(id));
  const { history = [], deliveries = [], alert, ...flat } = body;
  return { alert: alert ?? flat, history, deliveries };
}

/** The snapshot, its caption in `lang` (the server draws it from the alert's facts). */
export const snapshotUrl = (id, lang = 'vi') => `${alertPath(id)}/snapshot.jpg?lang=${lang}`;
export const clipUrl = (id) => `${alertPath(id)}/clip/index.m3u8`;

/** The body field each action carries its text in, and the route it posts to. */
const ACTIONS = {
  acknowledge: { route: 'acknowledge', field: 'note' },
  resolve: { route: 'resolve', field: 'note' },
  dismiss: { route: 'dismiss', field: 'reason' },
  assign: { route: 'assign', field: 'assignee' },
  note: { route: 'notes', field: 'note' },
};

/** Runs a duty action; answers the updated Alert. An empty optional text is left out (assign: null unassigns). */
export function runAction(id, action, text) {
  const { route, field } = ACTIONS[action];
  const body = text ? { [field]: text } : action === 'assign' ? { assignee: null } : {};
  return call(`${alertPath(id)}/${route}`, { method: 'POST', body: JSON.stringify(body) });
}

/** Cameras of the caller's districts, for the camera and district filters (names only are kept). */
export async function listCameras() {
  const { items } = await call('/api/cameras?limit=1000');
  return items.map((camera) => ({ id: camera.id, name: camera.name, district: camera.district }));
}
