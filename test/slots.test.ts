import assert from 'node:assert/strict';
import { freeIntervals, merge, overlaps, type Interval } from '../server/features/timetables/slots';

/** `slot(1, '10:30', '11:45')`: Monday 10:30–11:45 as minutes. */
function slot(day: number, start: string, end: string): Interval {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return { day, startMinute: m(start), endMinute: m(end) };
}

const MON = 1;
const TUE = 2;
const WED = 3;
const NINE = 9 * 60;
const TWENTY_TWO = 22 * 60;

describe('timetable slot arithmetic (slots.ts)', () => {
  describe('overlaps', () => {
    it('when two slots share part of the same day, then they overlap (either order)', () => {
      const a = slot(MON, '10:30', '11:45');
      const b = slot(MON, '11:00', '12:50');
      assert.equal(overlaps(a, b), true);
      assert.equal(overlaps(b, a), true);
    });

    it('when two slots overlap by a single minute, then they overlap', () => {
      assert.equal(overlaps(slot(MON, '10:00', '11:16'), slot(MON, '11:15', '12:30')), true);
    });

    it('when one slot contains the other, or they are identical, then they overlap', () => {
      assert.equal(overlaps(slot(TUE, '09:00', '11:50'), slot(TUE, '10:00', '10:50')), true);
      assert.equal(overlaps(slot(TUE, '10:00', '10:50'), slot(TUE, '09:00', '11:50')), true);
      assert.equal(overlaps(slot(TUE, '09:00', '10:15'), slot(TUE, '09:00', '10:15')), true);
    });

    it('when two slots touch at an edge (10:00–11:15 and 11:15–12:30), then they do not overlap', () => {
      const a = slot(MON, '10:00', '11:15');
      const b = slot(MON, '11:15', '12:30');
      assert.equal(overlaps(a, b), false);
      assert.equal(overlaps(b, a), false);
    });

    it('when the times are the same but the days differ, then they do not overlap', () => {
      assert.equal(overlaps(slot(MON, '10:30', '11:45'), slot(WED, '10:30', '11:45')), false);
    });

    it('when one slot ends before the other starts, then they do not overlap', () => {
      assert.equal(overlaps(slot(MON, '09:00', '09:50'), slot(MON, '10:00', '10:50')), false);
    });
  });

  describe('merge', () => {
    it('when there is nothing, then nothing comes out', () => {
      assert.deepEqual(merge([]), []);
    });

    it('when intervals overlap, then they become one spanning both', () => {
      assert.deepEqual(
        merge([
          [600, 675],
          [500, 610],
        ]),
        [[500, 675]],
      );
    });

    it('when intervals touch at an edge, then they become one', () => {
      assert.deepEqual(
        merge([
          [600, 675],
          [675, 750],
        ]),
        [[600, 750]],
      );
    });

    it('when one interval is nested in another, then only the outer one remains', () => {
      assert.deepEqual(
        merge([
          [600, 900],
          [650, 700],
          [700, 720],
        ]),
        [[600, 900]],
      );
    });

    it('when intervals are disjoint and unsorted, then they come out sorted and apart', () => {
      assert.deepEqual(
        merge([
          [800, 900],
          [600, 700],
          [701, 750],
        ]),
        [
          [600, 700],
          [701, 750],
          [800, 900],
        ],
      );
    });

    it('when merging, then the input arrays are left as they were', () => {
      const input: Array<[number, number]> = [
        [600, 700],
        [650, 800],
      ];
      merge(input);
      assert.deepEqual(input, [
        [600, 700],
        [650, 800],
      ]);
    });
  });

  describe('freeIntervals', () => {
    it('when nobody is busy, then the whole window of each day is free', () => {
      assert.deepEqual(freeIntervals([], [MON], NINE, TWENTY_TWO, 30), [
        { day: 'MON', start: '09:00', end: '22:00', minutes: 780 },
      ]);
    });

    it('when my MON 09:00–10:15 meets a friend’s MON 10:00–12:00 and TUE 13:00–14:00, then the free time is the gaps around their union', () => {
      const busy = [slot(MON, '09:00', '10:15'), slot(MON, '10:00', '12:00'), slot(TUE, '13:00', '14:00')];
      assert.deepEqual(freeIntervals(busy, [MON, TUE], NINE, TWENTY_TWO, 30), [
        { day: 'MON', start: '12:00', end: '22:00', minutes: 600 },
        { day: 'TUE', start: '09:00', end: '13:00', minutes: 240 },
        { day: 'TUE', start: '14:00', end: '22:00', minutes: 480 },
      ]);
    });

    it('when busy slots stick out of the window, then they are clipped to it', () => {
      const busy = [slot(MON, '08:00', '09:30'), slot(MON, '21:45', '23:00')];
      assert.deepEqual(freeIntervals(busy, [MON], NINE, TWENTY_TWO, 30), [
        { day: 'MON', start: '09:30', end: '21:45', minutes: 735 },
      ]);
    });

    it('when a slot ends exactly where the window starts or starts where it ends, then it takes nothing', () => {
      const busy = [slot(MON, '07:00', '09:00'), slot(MON, '22:00', '23:00')];
      assert.deepEqual(freeIntervals(busy, [MON], NINE, TWENTY_TWO, 30), [
        { day: 'MON', start: '09:00', end: '22:00', minutes: 780 },
      ]);
    });

    it('when a gap is shorter than minMinutes, then it is dropped; one exactly minMinutes long is kept', () => {
      const busy = [slot(MON, '09:00', '10:00'), slot(MON, '10:20', '11:00'), slot(MON, '11:30', '22:00')];
      assert.deepEqual(freeIntervals(busy, [MON], NINE, TWENTY_TWO, 30), [
        { day: 'MON', start: '11:00', end: '11:30', minutes: 30 },
      ]);
      assert.deepEqual(freeIntervals(busy, [MON], NINE, TWENTY_TWO, 20), [
        { day: 'MON', start: '10:00', end: '10:20', minutes: 20 },
        { day: 'MON', start: '11:00', end: '11:30', minutes: 30 },
      ]);
    });

    it('when two people’s slots touch at an edge, then no empty interval appears between them', () => {
      const busy = [slot(WED, '12:00', '12:50'), slot(WED, '12:50', '14:00')];
      assert.deepEqual(freeIntervals(busy, [WED], NINE, TWENTY_TWO, 1), [
        { day: 'WED', start: '09:00', end: '12:00', minutes: 180 },
        { day: 'WED', start: '14:00', end: '22:00', minutes: 480 },
      ]);
    });

    it('when days are unsorted or repeated, then each day comes once, in weekday order', () => {
      const busy = [slot(WED, '09:00', '21:00')];
      assert.deepEqual(freeIntervals(busy, [WED, MON, MON], NINE, TWENTY_TWO, 30), [
        { day: 'MON', start: '09:00', end: '22:00', minutes: 780 },
        { day: 'WED', start: '21:00', end: '22:00', minutes: 60 },
      ]);
    });

    it('when busy slots fall on days not asked about, then they are ignored', () => {
      const busy = [slot(TUE, '09:00', '22:00'), slot(MON, '12:00', '13:00')];
      assert.deepEqual(freeIntervals(busy, [MON], 11 * 60, 14 * 60, 30), [
        { day: 'MON', start: '11:00', end: '12:00', minutes: 60 },
        { day: 'MON', start: '13:00', end: '14:00', minutes: 60 },
      ]);
    });

    it('when the whole window is taken, then there is no free time', () => {
      const busy = [slot(MON, '08:00', '15:00'), slot(MON, '14:00', '23:00')];
      assert.deepEqual(freeIntervals(busy, [MON], NINE, TWENTY_TWO, 30), []);
    });
  });
});
