// What a live tile says instead of "live" when its camera cannot do its job: frames too small to analyse,
// or nothing detected for minutes (the health's analysisProblems, computed by the API from the analyzer).
import { formatLocalTime, formatNumber } from './i18n.js';

/** A quiet spell in the page's language: minutes, or whole hours past two hours. */
function quietSpell(minutes, t, lang) {
  if (minutes < 120) return `${formatNumber(minutes, lang, 0)} ${t('minutes')}`;
  return `${formatNumber(Math.floor(minutes / 60), lang, 0)} ${t('hours')}`;
}

/**
 * The notice for a camera's health, or null when it has none. The first problem is shown: frames too small
 * explain the missing detections, so they come first.
 */
export function analysisNotice(health, t, lang) {
  const problems = health.analysisProblems ?? [];
  if (problems.includes('framesTooSmall')) {
    const size = `${formatNumber(health.analysedFrameWidthPx, lang, 0)}×${formatNumber(health.analysedFrameHeightPx, lang, 0)}`;
    return {
      problem: 'framesTooSmall',
      text: t('framesTooSmall').replace('{size}', size),
      detail: lastDetection(health, t, lang),
    };
  }
  if (problems.includes('noDetections') && health.minutesWithoutDetections !== null) {
    const text = t('noDetections').replace('{spell}', quietSpell(health.minutesWithoutDetections, t, lang));
    return { problem: 'noDetections', text, detail: lastDetection(health, t, lang) };
  }
  return null;
}

function lastDetection(health, t, lang) {
  return health.lastDetectionAt
    ? `${t('lastDetection')}: ${formatLocalTime(new Date(health.lastDetectionAt), lang)}`
    : t('neverDetected');
}
