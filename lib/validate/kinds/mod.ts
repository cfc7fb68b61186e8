/**
 * Validation rules registered by the validation engine itself (MSP). The rules of the other kinds are their
 * descriptors' `validation` section (`lib/kinds/<kind>/validate.ts`), read through the kind registry.
 * @module
 */
export {
  type CheckMspOptions,
  checkMspRules,
  MSP_FOREIGN_KEYS,
  MSP_KEYS,
  mspKind,
  type MspTablesInput,
} from "./msp.ts";
