// A progress bar on stderr (a TTY) or sparse progress lines (a pipe or a log file).

export function progressBar(stream = process.stderr) {
  let lastLogged = -1;
  const started = Date.now();
  return (done, total, what) => {
    const fraction = total ? done / total : 1;
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${secs}s ${what}`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1).padEnd((stream.columns ?? 100) - 1)}`);
      if (done >= total) stream.write('\n');
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== lastLogged) {
        lastLogged = decile;
        stream.write(`progress ${decile * 10}% (${secs}s) ${what}\n`);
      }
    }
  };
}
