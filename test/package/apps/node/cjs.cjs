// CommonJS consumer: require() of the ES module entry (Node 20.19 and later).
const lib = require('simd-activations');
const { probe } = require('../probe.js');

probe(lib, (backend) => lib.init({ backend })).then((result) => {
  process.stdout.write(JSON.stringify({ resolved: require.resolve('simd-activations'), ...result }));
});
