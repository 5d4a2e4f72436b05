// Where the overlay writes its box labels. A busy junction on a phone-width tile has more boxes than room
// for their labels, and labels drawn over each other read as none: nearer (larger) boxes are labelled first,
// and a label that would cover one already placed is left out (its box is still drawn).

const GAP_PX = 1;

const overlaps = (a, b) =>
  a.x < b.x + b.width + GAP_PX &&
  b.x < a.x + a.width + GAP_PX &&
  a.y < b.y + b.height + GAP_PX &&
  b.y < a.y + a.height + GAP_PX;

/**
 * @param {{ box: [number, number, number, number], textWidth: number }[]} items boxes in canvas pixels
 * @param {{ lineHeight: number, canvasWidth: number }} size
 * @returns {{ index: number, x: number, y: number, width: number, height: number }[]} label rectangles, by item index
 */
export function placeLabels(items, { lineHeight, canvasWidth }) {
  const order = items
    .map((item, index) => ({ index, area: (item.box[2] - item.box[0]) * (item.box[3] - item.box[1]) }))
    .sort((a, b) => b.area - a.area || a.index - b.index);
  const placed = [];
  for (const { index } of order) {
    const [x1, y1] = items[index].box;
    const width = items[index].textWidth + 4;
    // Above the box, or just inside its top where the box touches the top of the picture.
    const y = y1 - lineHeight >= 0 ? y1 - lineHeight : y1;
    const x = Math.max(0, Math.min(x1, canvasWidth - width));
    const rect = { index, x, y, width, height: lineHeight };
    if (placed.some((other) => overlaps(rect, other))) continue;
    placed.push(rect);
  }
  return placed.sort((a, b) => a.index - b.index);
}
