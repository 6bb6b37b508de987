// Where each backend sits in the raw config, for cross-field rules that name backends.

export interface BackendIndex {
  /** First index of every backend name, enabled or not. */
  readonly all: ReadonlyMap<string, number>;
  readonly disabled: ReadonlySet<string>;
}
