/**
 * Preloaded (`node --import`) into a bot process by the crash-loop test: SIGUSR2 makes the process
 * throw from a timer outside any job, the way one unrelated request once crashed it.
 */
process.on('SIGUSR2', () => {
  setImmediate(() => {
    throw new Error('forced crash (test)');
  });
});
