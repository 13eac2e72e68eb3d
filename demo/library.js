// The one place the page loads the library from: the browser file the package ships, which has
// no bare specifiers, so the page needs no import map (and no inline script under its CSP).
export { init, supportedBackends, ELEMENTWISE, BACKENDS } from '/dist/browser.js';
