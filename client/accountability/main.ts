// The public accountability page has no script: this entry only carries its stylesheet through Vite.
import './style.css';
