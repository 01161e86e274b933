from datetime import datetime

class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        # Parse timestamp
        dt = datetime.fromisoformat(kline.open_time.replace('Z', '+00:00'))

        # Trading only during specific hours
        if 9 <= dt.hour < 16:
            # Your strategy logic
            pass
