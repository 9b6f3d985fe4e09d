import { describe, expect, it } from 'vitest';
import type { AlertStatus } from '../../../agent/alert';
import { cycleNoteText } from '../../../app/slack/cycle-notes';

describe('alert-cycle notes', () => {
  it.each<[AlertStatus, AlertStatus, RegExp]>([
    ['warn', 'triggered', /^:arrow_up: DataDog escalated this alert from Warn to Triggered/],
    ['no_data', 'triggered', /^:arrow_up: DataDog escalated this alert from No Data to Triggered/],
    ['triggered', 'warn', /^:arrow_down: DataDog now reports this alert as Warn \(it was Triggered\)/],
    ['triggered', 'no_data', /^:grey_question: DataDog reports No Data for this alert \(it was Triggered\)/],
    ['warn', 'recovered', /^:white_check_mark: DataDog reports this alert as recovered\.$/],
  ])('%s -> %s', (from, to, want) => {
    expect(cycleNoteText(from, to)).toMatch(want);
  });
});
