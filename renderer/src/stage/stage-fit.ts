/**
 * How the kiosk's stage fits a viewport. The screens are laid out in CSS px for a design box — the
 * 1280×800 terminal in landscape, a 768×1024 tablet in portrait — and the stage is scaled as a
 * whole so that box just fits; the stage then takes the viewport's own shape (viewport ÷ scale), so
 * nothing is letterboxed and a portrait tablet gets a tall layout, not a small landscape one.
 * A portrait stage is never scaled below 1 on the listed tablets, so its text is never smaller than
 * the 1280×800 design's.
 */

export type StageOrientation = 'landscape' | 'portrait';

export interface StageSize {
  readonly width: number;
  readonly height: number;
}

export interface StageFit extends StageSize {
  /** Screen px per stage px (1 at the 1280×800 design). */
  readonly scale: number;
  readonly orientation: StageOrientation;
}

/** The smallest box each orientation's layout is made for, in stage px. */
export const STAGE_DESIGN: Readonly<Record<StageOrientation, StageSize>> = {
  landscape: { width: 1280, height: 800 },
  portrait: { width: 768, height: 1024 },
};

/** The stage for a viewport of `viewport` CSS px (the design box itself when there is no viewport yet). */
export function fitStage(viewport: StageSize): StageFit {
  const orientation: StageOrientation = viewport.height > viewport.width ? 'portrait' : 'landscape';
  const design = STAGE_DESIGN[orientation];
  if (!(viewport.width > 0 && viewport.height > 0)) return { ...STAGE_DESIGN.landscape, scale: 1, orientation: 'landscape' };
  const scale = Math.min(viewport.width / design.width, viewport.height / design.height);
  return { width: viewport.width / scale, height: viewport.height / scale, scale, orientation };
}
