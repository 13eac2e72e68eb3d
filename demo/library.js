// The one place the page loads the library from. dist/index.js needs the import map in
// index.html for its bare `@assemblyscript/loader` import; a browser entry without bare
// specifiers replaces this line and that map.
export { init, supportedBackends, ELEMENTWISE, BACKENDS } from '/dist/index.js';
