export { demoFundamentals } from './fundamentals';
export { demoNews } from './news';
export { createDemoMarket, DEMO_EPOCH, DemoMarket, type DemoMarketOptions } from './simulator';
export { DEMO_UNIVERSE, type DemoInstrument } from './universe';
