// Entry point: styles and the application.
import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { html } from './html.js';
import { App } from './app.js';

render(html`<${App} />`, document.getElementById('app'));
