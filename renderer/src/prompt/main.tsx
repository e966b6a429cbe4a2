import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PromptApp } from './PromptApp';
import '../styles/theme.css';
import '../styles/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PromptApp />
  </StrictMode>,
);
