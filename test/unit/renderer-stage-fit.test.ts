/**
 * How the kiosk's stage fits the windows trainees' tablets have: which layout (landscape or
 * portrait) a window gets, how far it is scaled, and that the stage fills the window — so a
 * portrait tablet gets a tall layout at no less than the design's text size, not a small
 * landscape box.
 */
import { describe, expect, it } from 'vitest';
import { fitStage, STAGE_DESIGN } from '../../renderer/src/stage/stage-fit';

describe('fitStage', () => {
  it('draws the 1280×800 terminal at the design size', () => {
    expect(fitStage({ width: 1280, height: 800 })).toEqual({ width: 1280, height: 800, scale: 1, orientation: 'landscape' });
  });

  it.each([
    // window, scale, stage
    [1024, 768, 0.8, 1280, 960],
    [1366, 768, 0.96, 1422.9, 800],
    [1920, 1080, 1.35, 1422.2, 800],
  ])('scales a landscape %i×%i window so the whole 1280×800 design fits, and fills it', (w, h, scale, sw, sh) => {
    const fit = fitStage({ width: w, height: h });
    expect(fit.orientation).toBe('landscape');
    expect(fit.scale).toBeCloseTo(scale, 3);
    expect(fit.width).toBeCloseTo(sw, 0);
    expect(fit.height).toBeCloseTo(sh, 0);
    expect(fit.width).toBeGreaterThanOrEqual(STAGE_DESIGN.landscape.width - 1e-9);
    expect(fit.height).toBeGreaterThanOrEqual(STAGE_DESIGN.landscape.height - 1e-9);
    expect(fit.width * fit.scale).toBeCloseTo(w, 6);
    expect(fit.height * fit.scale).toBeCloseTo(h, 6);
  });

  it.each([
    [768, 1024],
    [800, 1280],
    [1080, 1920],
  ])('gives a portrait %i×%i window a tall stage, never drawn smaller than the design', (w, h) => {
    const fit = fitStage({ width: w, height: h });
    expect(fit.orientation).toBe('portrait');
    expect(fit.scale).toBeGreaterThanOrEqual(1);
    expect(fit.height).toBeGreaterThan(fit.width);
    expect(fit.width).toBeCloseTo(STAGE_DESIGN.portrait.width, 6);
    expect(fit.height).toBeGreaterThanOrEqual(STAGE_DESIGN.portrait.height - 1e-9);
    expect(fit.width * fit.scale).toBeCloseTo(w, 6);
    expect(fit.height * fit.scale).toBeCloseTo(h, 6);
  });

  it('treats a square window as landscape', () => {
    expect(fitStage({ width: 1000, height: 1000 }).orientation).toBe('landscape');
  });

  it('falls back to the design size before there is a window to measure', () => {
    expect(fitStage({ width: 0, height: 0 })).toEqual({ width: 1280, height: 800, scale: 1, orientation: 'landscape' });
  });
});
