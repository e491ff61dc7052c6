import { describe, expect, it } from 'vitest';
import { createFriendIntake } from './intake.ts';

/** Whether `p` has settled once the microtasks queued so far have run. */
async function settled(p: Promise<void> | undefined): Promise<boolean> {
  if (p === undefined) return true;
  let done = false;
  void p.then(() => { done = true; });
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('friend intake', () => {
  it('gives room up to the bound, then holds the friend back until a message is released', async () => {
    const intake = createFriendIntake(3);
    const a = intake.admit('aa');
    const b = intake.admit('aa');
    expect(a.room).toBeUndefined();
    expect(b.room).toBeUndefined();
    const c = intake.admit('aa');
    expect(await settled(c.room)).toBe(false);
    expect(intake.stats('aa')).toEqual({ processed: 0, inNode: 3, peakInNode: 3 });
    a.release();
    expect(await settled(c.room)).toBe(true);
    expect(intake.stats('aa')).toEqual({ processed: 1, inNode: 2, peakInNode: 3 });
  });

  it('counts a release once, however often it is called', () => {
    const intake = createFriendIntake(2);
    const a = intake.admit('aa');
    a.release();
    a.release();
    expect(intake.stats('aa')).toEqual({ processed: 1, inNode: 0, peakInNode: 1 });
  });

  it('keeps friends apart: a full friend does not hold back another', async () => {
    const intake = createFriendIntake(1);
    const flood = intake.admit('aa');
    expect(await settled(flood.room)).toBe(false);
    const honest = intake.admit('bb');
    expect(await settled(honest.room)).toBe(false); // its own bound of one
    honest.release();
    expect(await settled(flood.room)).toBe(false);
    expect(intake.stats('bb')).toEqual({ processed: 1, inNode: 0, peakInNode: 1 });
    expect(intake.stats('aa').inNode).toBe(1);
  });

  it('lets held-back readers go when the node closes or the friend is forgotten', async () => {
    const intake = createFriendIntake(1);
    const a = intake.admit('aa');
    const b = intake.admit('bb');
    intake.releaseAll();
    expect(await settled(a.room)).toBe(true);
    const c = intake.admit('cc');
    intake.forget('cc');
    expect(await settled(c.room)).toBe(true);
    expect(intake.stats('cc')).toEqual({ processed: 0, inNode: 0, peakInNode: 0 });
    b.release();
    expect(intake.stats('bb').processed).toBe(1);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => createFriendIntake(0)).toThrow(RangeError);
    expect(() => createFriendIntake(1.5)).toThrow(RangeError);
  });
});
