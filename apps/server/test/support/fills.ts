/**
 * The SPXW condor the book and settlement tests record: opened 2024-03-15, expiring Monday 2024-03-18
 * (PM settlement; SPX closed 5,149.42 that day, so the 5140/5150 call spread pays 9.42).
 */
export const CONDOR_EXPIRING_2024_03_18 = {
  id: 'o-318',
  instrument: 'condor',
  action: 'open',
  positionId: 'ic-318',
  date: '2024-03-15',
  tier: 'balanced',
  expiry: '2024-03-18',
  strikes: { putLong: 5040, putShort: 5050, callShort: 5140, callLong: 5150 },
  quantity: 2,
  price: 1.25,
} as const;

/** The bearer token the server tests start the app with (at least 16 characters). */
export const TEST_TOKEN = 'test-token-0123456789abcdef';
