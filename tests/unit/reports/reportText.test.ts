import { describe, expect, it } from 'vitest';
import { districtSlug } from '../../../core/mqttTopics.ts';
import {
  formatChange,
  formatCount,
  formatDateTime,
  formatPercent,
  formatSeconds,
  periodTitle,
} from '../../../reports/reportText.ts';

const local = (iso: string) => Date.parse(`${iso}+07:00`);

describe('report wording', () => {
  it('writes numbers the Vietnamese way', () => {
    expect(formatCount(15204)).toBe('15.204');
    expect(formatPercent(0.7734)).toBe('77,3 %');
    expect(formatPercent(null)).toBe('—');
    expect(formatChange(0.392)).toBe('+39,2 %');
    expect(formatChange(-0.05)).toBe('-5,0 %');
    expect(formatChange(null)).toBe('không có số liệu kỳ trước');
    expect(formatSeconds(42)).toBe('42 giây');
    expect(formatSeconds(210)).toBe('3 phút 30 giây');
    expect(formatSeconds(null)).toBe('—');
  });

  it('names periods in local dates', () => {
    expect(periodTitle('daily', local('2026-11-25T00:00:00'), local('2026-11-26T00:00:00'))).toBe('NGÀY 25/11/2026');
    expect(periodTitle('weekly', local('2026-11-23T00:00:00'), local('2026-11-30T00:00:00'))).toBe(
      'TUẦN 23/11/2026 – 29/11/2026',
    );
    expect(periodTitle('monthly', local('2026-11-01T00:00:00'), local('2026-12-01T00:00:00'))).toBe('THÁNG 11/2026');
    expect(formatDateTime(Date.UTC(2026, 10, 25, 17, 30))).toBe('26/11/2026 00:30');
  });

  it('turns district names into topic levels an ACL can name', () => {
    expect(districtSlug('Ba Đình')).toBe('ba-dinh');
    expect(districtSlug('Hoàn Kiếm')).toBe('hoan-kiem');
    expect(districtSlug('Quận 1')).toBe('quan-1');
    expect(districtSlug('Thủ Đức / Bình Thạnh')).toBe('thu-duc-binh-thanh');
    expect(districtSlug('#+/')).toBe('unknown');
  });
});
