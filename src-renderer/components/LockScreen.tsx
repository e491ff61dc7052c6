import { MIN_PASSWORD_LENGTH, type BridgeError, type Result } from '../../src-main/bridge.ts';
import { PasswordForm } from './PasswordForm.tsx';

export interface LockScreenProps {
  readonly firstRun: boolean;
  readonly onCreatePassword: (password: string) => Promise<Result<void, BridgeError>>;
  readonly onUnlock: (password: string) => Promise<Result<void, BridgeError>>;
}

/** First run: choose the password that protects the cards' keys. Later: unlock with it. */
export function LockScreen({ firstRun, onCreatePassword, onUnlock }: LockScreenProps) {
  return firstRun ? (
    <>
      <h1>Welcome to Offset</h1>
      <section className="panel" aria-labelledby="protect">
        <h2 id="protect">Protect your wallet</h2>
        <p className="lead">
          Your cards’ keys are stored on this computer, encrypted with this password. You will need it
          each time you open the wallet. It cannot be recovered if you forget it, so keep backups of your cards.
        </p>
        <PasswordForm mode="create" minLength={MIN_PASSWORD_LENGTH} onSubmit={onCreatePassword} />
      </section>
    </>
  ) : (
    <>
      <h1>Wallet locked</h1>
      <section className="panel" aria-labelledby="unlock">
        <h2 id="unlock">Unlock your wallet</h2>
        <PasswordForm mode="unlock" minLength={MIN_PASSWORD_LENGTH} onSubmit={onUnlock} />
      </section>
    </>
  );
}
