/** A print the visitor asked for from a journey (a guide's materials list, a certificate slip). */
export enum PrintPhase {
  Printing = 'printing',
  Printed = 'printed',
  /** The printer could not print it (paper out, offline) or the call failed. */
  Failed = 'failed',
}
