/**
 * How the long-running scripts end: Ctrl-C (SIGINT) or SIGTERM stops every child they started,
 * even halfway through starting up, and exits 0; a child that exits on its own stops the others
 * and the script exits 1 with that child's last output.
 */
import { type Child, describeExit, stopAllChildren } from './child.ts';

let stopping = false;

/** Installs the signal handling; call it before starting any child. */
export function stopOnSignals(what: string): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\nStopping ${what}…`);
      stopAllChildren().then(
        () => {
          console.log('Stopped.');
          process.exit(0);
        },
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}

/** Resolves with 1 once one of `children` exits by itself, after stopping the rest. */
export function untilAChildExits(children: Child[]): Promise<number> {
  return new Promise<number>((resolve) => {
    for (const child of children) {
      void child.exited.then(async (exit) => {
        if (stopping) return;
        stopping = true;
        const name = child.name.charAt(0).toUpperCase() + child.name.slice(1);
        console.error(`\n${name} ${describeExit(exit)}. Its last output:\n${child.tail()}\n`);
        console.error('Stopping the rest.');
        await stopAllChildren();
        resolve(1);
      });
    }
  });
}
