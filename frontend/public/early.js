// Asks the node the first page's questions while the app's bundle is still loading, not after it has run: who is
// signed in, and on the overview the fleet list. The app takes each answer once (src/lib/early.ts); the live socket
// carries everything after. A file of its own, as theme.js: the Content-Security-Policy allows no inline script.
(function () {
  var path = location.pathname;
  // The public status page and the password-reset page ask for no session.
  if (path.indexOf('/status/') === 0 || path === '/reset-password') return;
  function ask(url) {
    var answer = fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    answer.catch(function () {}); // a failure is the taker's to handle, not an unhandled rejection
    return answer;
  }
  var early = { '/api/auth/me': ask('/api/auth/me') };
  // Not on /login: whoever opens it is most likely signed out (the list would be a refused request).
  if (path === '/') early['/api/servers'] = ask('/api/servers');
  window.stewardEarly = early;
})();
