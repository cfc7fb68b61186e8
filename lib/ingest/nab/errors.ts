/** A NAB file that cannot be read as NAB at all (bad header, bad label file); rows with bad values are quarantined instead. */
export class NabFormatError extends Error {
  /** The file, relative to the NAB root. */
  readonly path: string;
  /**
   * @param path the file
   * @param reason what is wrong
   * @param options the cause
   */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`Cannot read NAB file "${path}": ${reason}`, options);
    this.name = "NabFormatError";
    this.path = path;
  }
}
