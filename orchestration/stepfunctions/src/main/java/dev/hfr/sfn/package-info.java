/**
 * Step Functions orchestration: the one render state machine definition ({@link dev.hfr.sfn.StateMachineDefinition},
 * shipped as {@code statemachine/render.asl.json} and deployed by {@code template.yaml}) and the activity worker
 * ({@link dev.hfr.sfn.ActivityWorker}) that runs the same steps on any machine when the state machine uses
 * activities instead of Lambda functions (renders longer than Lambda's 15 minutes, LocalStack tests).
 */
package dev.hfr.sfn;
