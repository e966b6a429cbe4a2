import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startSearchWarmup } from './store/search-warmup';
import './styles/theme.css';
import './styles/app.css';

startSearchWarmup();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
