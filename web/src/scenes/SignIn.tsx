import { useState, type FormEvent } from 'react';
import { api, LIMITS, type SessionInfo } from '../api/client.js';
import { ProblemView } from '../components/ProblemView.js';
import { useSubmit } from '../hooks/submit.js';

export function SignIn({ onSignedIn }: { onSignedIn: (info: SessionInfo) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, problem, submit } = useSubmit();

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => onSignedIn(await api.signIn({ username: username.trim(), password })));
  };

  return (
    <main className="signin">
      <form onSubmit={handleSubmit} aria-label="Sign in">
        <h1>Firebreak</h1>
        <p className="muted">Contain first, root-cause later.</p>
        <label className="field wide">
          <span>Username</span>
          <input
            name="username"
            autoComplete="username"
            autoFocus
            required
            maxLength={LIMITS.username}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field wide">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={LIMITS.password.max}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ProblemView problem={problem} />
      </form>
    </main>
  );
}
