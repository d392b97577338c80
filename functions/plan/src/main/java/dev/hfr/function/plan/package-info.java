/** The plan Lambda function: {@link dev.hfr.function.plan.PlanHandler}, which unpacks, compiles and probes the project and writes the plan. */
package dev.hfr.function.plan;
