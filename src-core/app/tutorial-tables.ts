/** The tutorial's literal `info friends` tables (seeds/000), in the order it shows them: the
 *  formatter's tests and stctrl's check against the same text. */
export const TUTORIAL_FRIENDS_TABLES = {
  afterAddFriend: [
    '| st | name  | balance       |',
    '| D- | node1 | C: LR=-, RR=- |',
    '|    |       | B  =100       |',
    '|    |       | LMD=0         |',
    '|    |       | RMD=0         |',
    '|    |       | LPD=0         |',
    '|    |       | RPD=0         |',
  ],
  afterEnable: [
    '| st | name  | balance       |',
    '| E+ | node1 | C: LR=-, RR=- |',
    '|    |       | B  =100       |',
    '|    |       | LMD=0         |',
    '|    |       | RMD=0         |',
    '|    |       | LPD=0         |',
    '|    |       | RPD=0         |',
  ],
  afterMaxDebt: [
    '| st | name  | balance       |',
    '| E+ | node1 | C: LR=-, RR=- |',
    '|    |       | B  =100       |',
    '|    |       | LMD=150       |',
    '|    |       | RMD=200       |',
    '|    |       | LPD=0         |',
    '|    |       | RPD=0         |',
  ],
  afterOpen: [
    '| st | name  | balance       |',
    '| E+ | node1 | C: LR=+, RR=+ |',
    '|    |       | B  =100       |',
    '|    |       | LMD=150       |',
    '|    |       | RMD=200       |',
    '|    |       | LPD=0         |',
    '|    |       | RPD=0         |',
  ],
} as const;
