/** How a job handler tells the runner what to do besides "done". */

/** Nothing can be done yet (no route for the message); the job waits until something changes. */
export class ParkJob extends Error {
  override name = 'ParkJob';
}

/** Retrying cannot help; the job fails now with this reason. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
