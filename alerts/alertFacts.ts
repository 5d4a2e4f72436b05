// Names an alert's facts carry, taken from the camera's analysis when the alert is raised: the line's and
// zone's names and a direction's display name. The sentence itself is core/alertMessage.ts.
import type { CountingLineConfig } from '../core/geometry.ts';
import type { NamedLine, NamedZone } from '../core/cameraAnalysis.ts';
import { humanise } from '../core/alertMessage.ts';

export { subjectName, vehicleName } from '../core/alertMessage.ts';

export function lineName(line: NamedLine): string {
  return line.name ?? line.id;
}

/** The display name of one of a line's directions: its configured name, else the identifier with spaces. */
export function directionName(line: CountingLineConfig, direction: string): string {
  const side =
    line.directions?.leftToRight === direction
      ? 'leftToRight'
      : line.directions?.rightToLeft === direction
        ? 'rightToLeft'
        : null;
  const named = side ? line.directionNames?.[side] : undefined;
  return named ?? humanise(direction);
}

/**
 * The observation's facts with the names of its zone and line (as configured now), so every alert can be
 * read without the camera's setup at hand, in any language; names a rule already set are kept.
 */
export function withNames<
  O extends { details: Record<string, string | number | boolean | null>; zoneId: string | null; lineId: string | null },
>(observation: O, zones: ReadonlyMap<string, NamedZone>, lines: ReadonlyMap<string, NamedLine>): O {
  const { details, zoneId, lineId } = observation;
  const zoneName = zoneId !== null && details.zoneName === undefined ? (zones.get(zoneId)?.name ?? zoneId) : undefined;
  const lineNamed = lineId !== null && details.lineName === undefined ? (lines.get(lineId)?.name ?? lineId) : undefined;
  if (zoneName === undefined && lineNamed === undefined) return observation;
  return {
    ...observation,
    details: {
      ...details,
      ...(zoneName !== undefined ? { zoneName } : {}),
      ...(lineNamed !== undefined ? { lineName: lineNamed } : {}),
    },
  };
}
