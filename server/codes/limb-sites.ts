// The sites of each limb, as the Alphabetic Index groups them: "Cellulitis, arm / hand / shoulder / wrist — see
// Cellulitis, upper limb"; "…, ankle / foot / heel / hip / knee / leg / thigh — see Cellulitis, lower limb". The
// Index lists some sites only; the rest of the same limb (the forearm, the calf) go the same way by anatomy.
// Hand-written because it is anatomy, not classification: the one list the loader (index-see.ts) and completion
// (pipeline/specificity.ts) read.

export type Limb = 'upper' | 'lower';

/** A limb's segments and regions between its joints. */
export const LIMB_SEGMENTS: Readonly<Record<Limb, readonly string[]>> = {
  upper: ['arm', 'upper arm', 'forearm', 'antecubital', 'hand'],
  lower: ['leg', 'lower leg', 'thigh', 'calf', 'shin', 'foot', 'heel'],
};

/** A limb's large joints: a "septic knee" is a joint's infection, so these are never added where the Index is silent. */
export const LIMB_JOINTS: Readonly<Record<Limb, readonly string[]>> = {
  upper: ['shoulder', 'elbow', 'wrist'],
  lower: ['hip', 'knee', 'ankle'],
};

export const LIMB_SITES: Readonly<Record<Limb, readonly string[]>> = {
  upper: [...LIMB_SEGMENTS.upper, ...LIMB_JOINTS.upper],
  lower: [...LIMB_SEGMENTS.lower, ...LIMB_JOINTS.lower],
};
