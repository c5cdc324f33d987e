import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.js';
import { LangProvider } from './ui/i18n.js';
import { SessionGate } from './ui/SignIn.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LangProvider>
      <SessionGate>
        <App />
      </SessionGate>
    </LangProvider>
  </StrictMode>,
);
