// A plain ruled table for pdfkit: header row shaded, thin rules, numbers right-aligned; starts a new page
// (repeating the header) when the next row would not fit.

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface TableFonts {
  regular: string;
  bold: string;
}

const ROW_PAD = 4;
const FONT_SIZE = 9.5;

function drawRow(
  doc: PDFKit.PDFDocument,
  columns: readonly TableColumn[],
  cells: readonly string[],
  y: number,
  font: string,
  fill: string | null,
): number {
  const x0 = doc.page.margins.left;
  doc.font(font).fontSize(FONT_SIZE);
  const height =
    Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i]!.width - 2 * ROW_PAD }))) +
    2 * ROW_PAD;
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  if (fill) doc.rect(x0, y, width, height).fill(fill);
  doc.fillColor('#000');
  let x = x0;
  cells.forEach((cell, i) => {
    const column = columns[i]!;
    doc.text(cell, x + ROW_PAD, y + ROW_PAD, {
      width: column.width - 2 * ROW_PAD,
      align: column.align ?? 'left',
      lineBreak: true,
    });
    x += column.width;
  });
  doc
    .moveTo(x0, y + height)
    .lineTo(x0 + width, y + height)
    .lineWidth(0.5)
    .strokeColor('#8a8a8a')
    .stroke();
  return height;
}

export function drawTable(
  doc: PDFKit.PDFDocument,
  columns: readonly TableColumn[],
  rows: readonly string[][],
  fonts: TableFonts,
): void {
  const bottom = () => doc.page.height - doc.page.margins.bottom - 24;
  let y = doc.y;
  const header = () => {
    y += drawRow(
      doc,
      columns,
      columns.map((c) => c.header),
      y,
      fonts.bold,
      '#e4e9f0',
    );
  };
  const x0 = doc.page.margins.left;
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  // The header and the first row go together: a header alone at the foot of a page reads as an empty table.
  const heightOf = (cells: readonly string[], font: string) => {
    doc.font(font).fontSize(FONT_SIZE);
    return (
      Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i]!.width - 2 * ROW_PAD }))) +
      2 * ROW_PAD
    );
  };
  const firstRow = rows[0] ? heightOf(rows[0], fonts.regular) : 0;
  if (
    y +
      heightOf(
        columns.map((c) => c.header),
        fonts.bold,
      ) +
      firstRow >
    bottom()
  ) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  doc
    .moveTo(x0, y)
    .lineTo(x0 + width, y)
    .lineWidth(0.8)
    .strokeColor('#333')
    .stroke();
  header();
  for (const row of rows) {
    if (y + heightOf(row, fonts.regular) > bottom()) {
      doc.addPage();
      y = doc.page.margins.top;
      header();
    }
    y += drawRow(doc, columns, row, y, fonts.regular, null);
  }
  doc.x = x0;
  doc.y = y + 10;
}
