import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { NotificationApp } from './NotificationApp';
import '../styles/theme.css';
import '../styles/app.css';
import './notification.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <NotificationApp />
  </StrictMode>,
);
