import { ReactFlowProvider } from '@xyflow/react';
import { DraftLostNotice } from './DraftLostNotice.js';
import { useRoute } from './hooks/useRoute.js';
import { useT, useToggleLang } from './i18n.js';
import { SessionBar } from './SessionBar.js';
import { SimulationCopyBanner } from './SimulationCopyBanner.js';
import { CustomersView } from './views/CustomersView.js';
import { EditorView } from './views/EditorView.js';
import { HomeView } from './views/HomeView.js';
import { PolicyView } from './views/PolicyView.js';

/** The shell: the top bar and the view the address names (home, a flow, customers, the contact rules). The language is main.tsx's LangProvider. */
export function App() {
  const [route, navigate] = useRoute();
  const toggleLang = useToggleLang();
  return (
    <div className="app">
        <TopBar view={route.view} onHome={() => navigate({ view: 'home' })} onCustomers={() => navigate({ view: 'customers' })} onPolicy={() => navigate({ view: 'policy' })} toggleLang={toggleLang} />
        <SimulationCopyBanner />
        <DraftLostNotice onOpen={(flowId) => navigate({ view: 'editor', flowId })} />
        {route.view === 'home' && <HomeView onOpen={(flowId) => navigate({ view: 'editor', flowId })} />}
        {route.view === 'customers' && <CustomersView />}
        {route.view === 'policy' && <PolicyView />}
        {route.view === 'editor' && (
          <ReactFlowProvider key={route.flowId}>
            <EditorView flowId={route.flowId} onNavigate={navigate} />
          </ReactFlowProvider>
        )}
    </div>
  );
}

function TopBar({ view, onHome, onCustomers, onPolicy, toggleLang }: { view: string; onHome: () => void; onCustomers: () => void; onPolicy: () => void; toggleLang: () => void }) {
  const t = useT();
  return (
    <nav className="topbar">
      <b className="brand">{t('app.title')}</b>
      <button type="button" className={view === 'home' || view === 'editor' ? 'active' : ''} onClick={onHome} data-testid="tab-home">
        {t('nav.journeys')}
      </button>
      <button type="button" className={view === 'customers' ? 'active' : ''} onClick={onCustomers} data-testid="tab-customers">
        {t('tb.customers')}
      </button>
      <button type="button" className={view === 'policy' ? 'active' : ''} onClick={onPolicy} data-testid="tab-policy">
        {t('nav.policy')}
      </button>
      <span className="grow" />
      <button type="button" onClick={toggleLang} data-testid="lang">
        {t('lang')}
      </button>
      <SessionBar />
    </nav>
  );
}
