package metrics

import "runtime"

// Lambda's on-demand prices in US dollars (us-east-1, first tier), the
// defaults of the estimated cost in faas_estimated_cost_usd_total. Prices
// differ by region, tier and Savings Plans: pass yours to
// [WithPricePerRequest] and [WithPricePerGBSecond].
const (
	// DefaultPricePerRequest is the price of one request.
	DefaultPricePerRequest = 0.0000002
	// PricePerGBSecondX86 is the price of one GB-second on x86_64.
	PricePerGBSecondX86 = 0.0000166667
	// PricePerGBSecondARM is the price of one GB-second on arm64.
	PricePerGBSecondARM = 0.0000133334
)

// DefaultPricePerGBSecond returns the price of one GB-second for the
// architecture the process runs on: [PricePerGBSecondARM] on arm64,
// [PricePerGBSecondX86] otherwise.
func DefaultPricePerGBSecond() float64 {
	if runtime.GOARCH == "arm64" {
		return PricePerGBSecondARM
	}
	return PricePerGBSecondX86
}

// WithPricePerRequest sets the price of one request, in US dollars, of the
// estimated cost. The default is [DefaultPricePerRequest]; a negative or
// non-finite price is an error.
func WithPricePerRequest(usd float64) Option {
	return optionFunc(func(c *config) {
		if !validPrice(usd) {
			c.invalid("price per request %v: need a finite price >= 0", usd)
			return
		}
		c.pricePerRequest = usd
	})
}

// WithPricePerGBSecond sets the price of one GB-second of compute (1 GB =
// 1024 MB of memory for one second, as Lambda bills), in US dollars, of
// the estimated cost. The default is [DefaultPricePerGBSecond]; a negative
// or non-finite price is an error.
func WithPricePerGBSecond(usd float64) Option {
	return optionFunc(func(c *config) {
		if !validPrice(usd) {
			c.invalid("price per GB-second %v: need a finite price >= 0", usd)
			return
		}
		c.pricePerGBSecond = usd
	})
}
