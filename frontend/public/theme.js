// Theme before first paint, so a dark-mode user never sees a white flash. A file of its own, not inline in
// index.html: the node's Content-Security-Policy allows scripts from the node only (script-src 'self').
try {
  var t = localStorage.getItem('steward.theme');
  if (t === 'dark' || t === 'light') document.documentElement.dataset.theme = t;
} catch (e) {}
