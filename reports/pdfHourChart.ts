// The hourly traffic bar chart of a report: 24 bars (local hours), peak hours darker, hours labelled below.
export interface HourChartOptions {
  regular: string;
  width: number;
  /** Under the hours, in the report's language. */
  caption: string;
}

const CHART_HEIGHT = 110;

export function drawHourChart(
  doc: PDFKit.PDFDocument,
  byHour: readonly number[],
  peakHours: readonly number[],
  options: HourChartOptions,
): void {
  if (doc.y + CHART_HEIGHT + 40 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const x0 = doc.page.margins.left;
  const top = doc.y + 4;
  const baseY = top + CHART_HEIGHT;
  const max = Math.max(1, ...byHour);
  const slot = options.width / 24;
  doc
    .moveTo(x0, baseY)
    .lineTo(x0 + options.width, baseY)
    .lineWidth(0.6)
    .strokeColor('#333')
    .stroke();
  byHour.forEach((n, hour) => {
    const h = (n / max) * (CHART_HEIGHT - 12);
    const x = x0 + hour * slot + 2;
    if (h > 0) doc.rect(x, baseY - h, slot - 4, h).fill(peakHours.includes(hour) ? '#12355b' : '#8fa8c8');
    doc
      .fillColor('#333')
      .font(options.regular)
      .fontSize(6.5)
      .text(String(hour).padStart(2, '0'), x0 + hour * slot, baseY + 3, {
        width: slot,
        align: 'center',
        lineBreak: false,
      });
  });
  doc
    .fillColor('#555')
    .fontSize(8)
    .text(options.caption, x0, baseY + 14, { width: options.width, align: 'center' });
  doc.fillColor('#000');
  doc.x = x0;
  doc.y = baseY + 32;
}
