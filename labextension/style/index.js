import './base.css';
import './pages.css';
import './runDiff.css';
import './stale.css';
import './cells.css';
