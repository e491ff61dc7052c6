export interface HostUnavailableProps {
  readonly message: string;
}

/** Shown instead of the app when the page cannot reach the wallet host. */
export function HostUnavailable({ message }: HostUnavailableProps) {
  return (
    <main className="app-main">
      <h1>Offset cannot reach the wallet</h1>
      <p role="alert" className="message error">{message}</p>
    </main>
  );
}
