/** The channeler: one secure channel per enabled friend, through relays. */
export { type Channeler, type ChannelerEvent, type ChannelerOptions, type FriendConfig, createChanneler } from './channeler.ts';
export { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff.ts';
