"""A recorder of layout shifts for browser tests: add it as an init script, then
`page.evaluate(SHIFTS_SEEN)` lists each shift not caused by input, with the elements that moved
(the list is empty when nothing moved)."""

RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shifts.push(
    {value: entry.value, sources: (entry.sources || []).map(s => s.node ? (s.node.id || s.node.className || s.node.nodeName) : '?')});
}).observe({type: 'layout-shift', buffered: true});
"""
SHIFTS_SEEN = "window.__shifts"
