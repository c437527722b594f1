import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/600.css';
import './i18n';
import { createRoot } from 'react-dom/client';
import { App } from './App';

createRoot(document.getElementById('root')!).render(<App />);
