/**
 * Arguments the main process passes to the preload (webPreferences.additionalArguments, read from
 * process.argv, which a sandboxed preload has). No imports on purpose: the sandboxed preload
 * bundles this file.
 */

/** Present when this window gets window.kiosk.trainer (the simulator's virtual cards, settings). */
export const TRAINER_API_ARG = '--kiosk-sim-trainer-api';
