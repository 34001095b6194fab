/** Selects [start, end) of root's text (a query indicator, say) and scrolls it into view. */
export function selectOffsets(root: HTMLElement, start: number, end: number): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let pos = 0;
  let started = false;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const len = n.textContent!.length;
    if (!started && start < pos + len) {
      range.setStart(n, start - pos);
      started = true;
    }
    if (started && end <= pos + len) {
      range.setEnd(n, end - pos);
      const sel = document.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      (n.parentElement ?? root).scrollIntoView({ block: 'nearest' });
      return;
    }
    pos += len;
  }
}

/**
 * The offsets of the window selection inside `root`, relative to root's text — which is the note text
 * exactly, rendered verbatim in text nodes (marks add elements, never characters). Null when nothing is
 * selected there. Surrounding whitespace is trimmed so that the span quotes what the user meant.
 */
export function selectionOffsets(root: HTMLElement, selection: Selection | null): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.selectNodeContents(root);
  before.setEnd(range.startContainer, range.startOffset);
  const raw = range.toString();
  let start = before.toString().length;
  let end = start + raw.length;
  start += raw.length - raw.trimStart().length;
  end -= raw.length - raw.trimEnd().length;
  return end > start ? { start, end } : null;
}
