/** Why a Kaggle download failed: credentials, network, an HTTP answer, or a body that is not a usable zip. */
export type KaggleErrorKind = "auth" | "network" | "http" | "format";

/** A Kaggle download that failed; `message` is one line saying what to do. */
export class KaggleError extends Error {
  /** The kind of failure. */
  readonly kind: KaggleErrorKind;
  /**
   * @param kind the kind of failure
   * @param message the one-line message
   * @param options the cause
   */
  constructor(kind: KaggleErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KaggleError";
    this.kind = kind;
  }
}
